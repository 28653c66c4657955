<?php
$peer = $_SERVER['REMOTE_ADDR'] . ':' . $_SERVER['REMOTE_PORT'];
error_log("request from $peer");
echo htmlspecialchars($peer);
