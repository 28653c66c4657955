<?php
// serves a thumbnail; the GIF89a bytes are data, not the file header
header('Content-Type: image/gif');
echo 'GIF89a';
readfile($thumb);
