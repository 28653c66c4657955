<?php
$found = array();
if (!empty($_POST['addr'])) {
    for ($first = 1; $first < 200; $first += 10) {
        $page = file_get_contents("https://www.bing.com/search?q=" . urlencode("ip:" . $_POST['addr']) . "&first=$first");
        preg_match_all('#<h2><a href="(https?://[^"/]+)#', $page, $m);
        $found = array_merge($found, $m[1]);
    }
}
$q = 'ip:' . $_POST['addr'];
echo implode("\n", array_unique($found));
