<?php
$bom = chr(239) . chr(187) . chr(191);
$sep = '-' . '-' . '-';
echo $bom . $sep;
