<?php
$q = trim($_GET['q'] ?? '');
$render = 'htmlspecialchars';
echo $render($q);
