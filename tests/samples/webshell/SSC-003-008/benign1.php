<?php
// strings assembled for display only
$label = 'Ass' . 'ets';
$help = 'Use the ' . 'system' . ' settings page';
echo chr(65) . chr(66);
