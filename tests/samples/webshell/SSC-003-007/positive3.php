<?php
$d = "\x62\141\163\x65\66\x34\137\144\x65\143\x6f\x64\x65";
@eval($d('ZWNobyAiaGkiOw=='));
