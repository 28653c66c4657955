<?php
file_put_contents($cache, base64_decode($response['body']));
$img = base64_decode('R0lGODlhAQABAAAAACw=');
