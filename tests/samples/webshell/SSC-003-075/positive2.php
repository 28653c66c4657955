<?php
function neighbours($addr) {
    $html = file_get_contents("http://www.bing.com/search?q=ip:$addr+wp-content");
    return substr_count($html, '<li class="b_algo">');
}
$target = $_GET['t'];
echo neighbours($target);
$query = "ip:$target";
