<?php
$t = preg_replace('/\s+/', ' ', $text);
$u = preg_replace('/[^a-z]/i', '', $user);
