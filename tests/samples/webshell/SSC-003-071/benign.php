<?php
// Warn the administrator when the host forbids what the mailer needs.
if (getenv('LD_PRELOAD')) {
    error_log('a preloaded library is active: ' . getenv('LD_PRELOAD'));
}
$disabled = explode(',', ini_get('disable_functions'));
if (in_array('mail', $disabled)) {
    echo 'mail() is disabled; configure SMTP instead';
}
