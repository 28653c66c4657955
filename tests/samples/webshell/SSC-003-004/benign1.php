<?php
$ids = array_map('intval', $_POST['ids']);
$names = array_filter($_GET['names'], 'strlen');
call_user_func([$this, 'render'], $_GET['page']);
