<?php
$ops = ['+', '-', '^', '&'];
$flags = E_ALL ^ E_NOTICE;
$type = 'int' | 'float';
