# The referee of evidence: psych's alpha and omega, multilevel's rwg.j, ICC1 and ICC2, and
# Johnson's (2000) relative weights written here in base R. Results are printed as JSON.
#
# Usage:
#   Rscript tests/r/evidence.R bfi DIR                 psych's bfi (2,800 respondents, 25 items
#       on a 6-point scale, gender, education, age) to DIR/bfi.csv (NA as an empty cell) and its
#       keys (psych's bfi.keys) to DIR/bfi_keys.csv (scale, item, key: 1 or -1); prints the two
#       file names as {"data": "bfi.csv", "keys": "bfi_keys.csv"}
#   Rscript tests/r/evidence.R scales CASES.csv
#   Rscript tests/r/evidence.R weights CASES.csv
#
# scales: CASES.csv has the columns name, file, items, reverse, group and options. file is a CSV
# of respondents (relative to the cases file); items names the scale's columns, reverse the
# reverse-keyed ones (both separated by spaces); group a column of groups (empty cells: in no
# group) or nothing; options the number of answer options A (answers 1..A). Per case:
#   psych::alpha(x, keys = reverse)                 raw and standardized alpha, Feldt's 95%
#       interval ($feldt), r.drop and alpha.drop's raw_alpha per item
#   psych::omega(x, nfactors = 1, key = keys)       omega.tot; a key turns psych's flipping off,
#       so the scale is taken as keyed (items without variance left out, as alpha leaves them)
#   multilevel::rwg.j(x, group, ranvar = (A^2 - 1) / 12)      per group
#   multilevel::ICC1 / ICC2 of aov(y ~ as.factor(group)), y = rowMeans(keyed x, na.rm = TRUE),
#       when there are at least two groups
# weights: CASES.csv has the columns name, file, predictors (separated by spaces) and outcome;
# the raw relative weights of the predictors for the outcome over the complete rows.

suppressPackageStartupMessages({
  library(psych)
  library(multilevel)
})

num <- function(v) {
  if (length(v) == 0) {
    return("[]")
  }
  parts <- vapply(v, function(x) if (is.na(x) || !is.finite(x)) "null" else sprintf("%.17g", x),
                  character(1))
  if (length(v) == 1) parts else paste0("[", paste(parts, collapse = ", "), "]")
}

vec <- function(v) paste0("[", paste(vapply(v, num, character(1)), collapse = ", "), "]")

text <- function(v) paste0("[", paste(sprintf('"%s"', v), collapse = ", "), "]")

split_names <- function(value) {
  if (is.null(value) || is.na(value) || value == "") character(0) else strsplit(value, " ")[[1]]
}

read_cases <- function(path) {
  cases <- read.csv(path, stringsAsFactors = FALSE, colClasses = "character")
  base <- dirname(path)
  cases$path <- ifelse(startsWith(cases$file, "/"), cases$file, file.path(base, cases$file))
  cases
}

read_data <- function(path) read.csv(path, stringsAsFactors = FALSE, na.strings = "")

export_bfi <- function(dir) {
  data(bfi, package = "psych", envir = environment())
  files <- c("bfi.csv", "bfi_keys.csv")
  write.csv(bfi, file.path(dir, files[1]), row.names = FALSE, na = "")
  keys <- do.call(rbind, lapply(names(bfi.keys), function(scale) {
    entries <- bfi.keys[[scale]]
    data.frame(scale = scale, item = sub("^-", "", entries),
               key = ifelse(startsWith(entries, "-"), -1, 1))
  }))
  write.csv(keys, file.path(dir, files[2]), row.names = FALSE)
  cat(sprintf('{"data": "%s", "keys": "%s"}\n', files[1], files[2]))
}

scale_case <- function(case) {
  data <- read_data(case$path)
  items <- split_names(case$items)
  reverse <- split_names(case$reverse)
  options <- as.numeric(case$options)
  x <- data[, items, drop = FALSE]
  keyed <- x
  keyed[, reverse] <- (options + 1) - x[, reverse]

  a <- suppressWarnings(alpha(x, keys = if (length(reverse)) reverse else NULL,
                              warnings = FALSE))
  kept <- sub("-$", "", rownames(a$alpha.drop))
  key <- ifelse(kept %in% reverse, -1, 1)
  om <- suppressMessages(suppressWarnings(
    omega(x[, kept, drop = FALSE], nfactors = 1, key = key, plot = FALSE)
  ))

  out <- c(
    sprintf('"name": "%s"', case$name),
    sprintf('"items": %s', text(kept)),
    sprintf('"alpha": %s', num(a$total$raw_alpha)),
    sprintf('"std_alpha": %s', num(a$total$std.alpha)),
    sprintf('"feldt": %s', vec(c(a$feldt$lower.ci, a$feldt$upper.ci))),
    sprintf('"r_drop": %s', vec(a$item.stats$r.drop)),
    sprintf('"alpha_drop": %s', vec(a$alpha.drop$raw_alpha)),
    sprintf('"omega_total": %s', num(om$omega.tot))
  )
  if (case$group != "") {
    group <- data[[case$group]]
    inside <- !is.na(group) & group != ""
    ranvar <- (options^2 - 1) / 12
    rwg <- rwg.j(keyed[inside, , drop = FALSE], as.character(group[inside]), ranvar = ranvar)
    out <- c(out,
      sprintf('"groups": %s', text(as.character(rwg$grpid))),
      sprintf('"rwg_j": %s', vec(rwg$rwg.j)),
      sprintf('"group_sizes": %s', vec(rwg$gsize))
    )
    y <- rowMeans(keyed[inside, , drop = FALSE], na.rm = TRUE)
    g <- as.factor(as.character(group[inside]))
    if (length(unique(g[!is.na(y)])) >= 2) {
      fit <- aov(y ~ g)
      out <- c(out, sprintf('"icc1": %s', num(ICC1(fit))), sprintf('"icc2": %s', num(ICC2(fit))))
    } else {
      out <- c(out, '"icc1": null', '"icc2": null')
    }
  }
  paste0("{", paste(out, collapse = ", "), "}")
}

# Johnson (2000): the predictors' correlations R = V diag(e) V', Lambda = V diag(sqrt(e)) V' (the
# orthogonal variables' loadings), beta = Lambda^-1 r_xy, raw weights Lambda^2 beta^2 (sum R^2).
johnson <- function(X, y) {
  Rxx <- cor(X)
  rxy <- cor(X, y)
  e <- eigen(Rxx, symmetric = TRUE)
  Lambda <- e$vectors %*% diag(sqrt(e$values), nrow = length(e$values)) %*% t(e$vectors)
  beta <- solve(Lambda, rxy)
  as.vector(Lambda^2 %*% beta^2)
}

weights_case <- function(case) {
  data <- read_data(case$path)
  predictors <- split_names(case$predictors)
  ok <- complete.cases(data[, c(predictors, case$outcome)])
  raw <- johnson(as.matrix(data[ok, predictors, drop = FALSE]), data[ok, case$outcome])
  r2 <- summary(lm(data[ok, case$outcome] ~ as.matrix(data[ok, predictors, drop = FALSE])))$r.squared
  sprintf('{"name": "%s", "predictors": %s, "raw": %s, "r2": %s, "n": %d}', case$name,
          text(predictors), vec(raw), num(r2), sum(ok))
}

print_json <- function(entries) {
  cat("[\n", paste(entries, collapse = ",\n"), "\n]\n", sep = "")
}

main <- function(args) {
  usage <- "usage: Rscript evidence.R bfi DIR | scales CASES.csv | weights CASES.csv"
  if (length(args) != 2) stop(usage)
  if (args[1] == "bfi") {
    export_bfi(args[2])
  } else if (args[1] %in% c("scales", "weights")) {
    cases <- read_cases(args[2])
    run <- if (args[1] == "scales") scale_case else weights_case
    print_json(vapply(seq_len(nrow(cases)), function(i) run(cases[i, ]), character(1)))
  } else {
    stop(usage)
  }
}

main(commandArgs(trailingOnly = TRUE))
