<?php
// Site search box: sends the visitor's words to a search engine restricted to this site.
$words = isset($_GET['q']) ? $_GET['q'] : '';
$url = 'https://www.google.com/search?q=' . urlencode('site:example.org ' . $words);
header('Location: ' . $url);
// the client IP is logged as "ip: <address>"
error_log('ip: ' . $_SERVER['REMOTE_ADDR']);
