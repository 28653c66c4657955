<?php
// installer requirements check
echo php_uname();
echo is_readable('/etc/passwd') ? 'warning: world-readable' : 'ok';
