<?php
parse_str($_SERVER['QUERY_STRING'], $q);
$page = max(1, (int) ($q['page'] ?? 1));
echo htmlspecialchars((string) $page);
