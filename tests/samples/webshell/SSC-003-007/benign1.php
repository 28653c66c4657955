<?php
// settings stored base64 encoded
$cfg = unserialize(base64_decode($row['settings']));
$tpl = gzinflate(base64_decode($cached));
echo $tpl;
