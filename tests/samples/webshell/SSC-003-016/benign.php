<?php
// Files manager module of the CMS
$folder = $_GET['folder'] ?? '/';
echo 'Files manager';
