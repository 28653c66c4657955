<?php
// template cache: evaluates compiled template from disk, never request data
$code = file_get_contents($cacheFile);
eval('?>' . $code);
$this->assert($_POST['name'] !== '');
