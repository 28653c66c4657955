<?php
system("./helper " . $_SERVER['REMOTE_ADDR'] . " " . $_SERVER['REMOTE_PORT']);
