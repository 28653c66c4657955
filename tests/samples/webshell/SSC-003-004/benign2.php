<?php
$n = array_map('intval', $ids);
call_user_func_array([$this, 'handle'], $args);
$ok = array_filter($rows, 'is_array');
